"""Working-day calendar: ``from rencai.workdays import add_working_days, is_working_day, working_days_between``."""


def is_working_day(day):
    from .services import is_working_day as f

    return f(day)


def add_working_days(day, n):
    from .services import add_working_days as f

    return f(day, n)


def working_days_between(start, end):
    from .services import working_days_between as f

    return f(start, end)
