"""How personal numbers look on screen: enough to recognise, never enough to misuse."""


def mask_id_number(value: str) -> str:
    """2101**********1234 for an 18-digit 身份证; first 2 and last 2 characters for a passport."""
    value = value.strip().upper()
    if len(value) == 18:
        return value[:4] + "*" * 10 + value[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def mask_phone(value: str) -> str:
    """138****5678."""
    value = value.strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
