"""The ``rencai`` console command: Django's management commands plus the project's own.

``rencai calc`` runs without Django, a database or a server (the calculator contract); every other
sub-command is a Django management command (``rencai migrate``, ``rencai demo``, ``rencai runserver`` ...).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "calc":
        from rencai.policies.cli import calc_main

        return calc_main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rencai.config.settings.dev")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:  # e.g. production without its keys: one clear line, not a traceback
        print(f"rencai: 配置错误，拒绝启动 / refusing to start: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
