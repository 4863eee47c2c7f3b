"""rencai pay --month YYYY-MM [--format json|text] [--policy ID ...] (../shared/contracts/payments.md)."""

import json
import os
import sys

from django.core.management.base import BaseCommand

from rencai.payments.run import CHUNK, PayInputError, check_policies, parse_month, pay_month, progress_printer


class Command(BaseCommand):
    help = "按月生成发放记录（每项享受资格每月一笔；复核条件；不超预算）"
    requires_system_checks = []  # a batch command: the URL and admin checks cost seconds and check nothing here

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):  # argparse's own errors: one line in Chinese and English, exit 2
            sys.stderr.write(f"rencai pay: 参数有误 / bad arguments: {message}\n")
            sys.exit(2)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="发放月份 YYYY-MM")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--policy", action="append", default=[], help="只发放该政策（可重复）")

    def handle(self, *args, month, format, policy, **options):
        try:
            day = parse_month(month)
            policies = check_policies(policy) if policy else None
        except PayInputError as exc:
            sys.stderr.write(f"rencai pay: {exc}\n")
            sys.exit(2)
        progress = progress_printer()
        # Tuning and tests only: the chunk size, and a pause after each committed chunk (the SIGKILL test).
        chunk = int(os.environ.get("RENCAI_PAY_CHUNK", CHUNK))
        pause = float(os.environ.get("RENCAI_PAY_TEST_PAUSE", "0"))
        result = pay_month(month=day, policies=policies, progress=progress, chunk=chunk, pause=pause)
        if progress:
            sys.stderr.write("\n")
        if format == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(result.as_text())
