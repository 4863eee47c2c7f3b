"""rencai ambiguity_report [--output docs/ambiguity-report.md]: the 歧义检查 over the five documents, each by
its title, as Markdown (the example report; the same as the page /workbench/ambiguity/example/)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from rencai.policies.documents import DOCUMENTS, document_text
from rencai.workbench.reader.ambiguity import report_markdown


class Command(BaseCommand):
    help = "写出五份依据文件的歧义检查示例报告（Markdown）"

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "docs" / "ambiguity-report.md"),
                            help="输出文件（默认 docs/ambiguity-report.md；- 为标准输出）")

    def handle(self, *args, output: str, **options):
        text = report_markdown([(d.title, document_text(d.key)) for d in DOCUMENTS.values()])
        if output == "-":
            self.stdout.write(text)
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"已写出 {output}")
