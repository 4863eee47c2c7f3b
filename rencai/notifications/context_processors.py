from .selectors import unread_count


def inbox(request):
    """The unread count shown beside the user's name in the header (one indexed COUNT)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"inbox_unread": 0}
    return {"inbox_unread": unread_count(user)}
