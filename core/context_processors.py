from core.navigation import menu_for


def navigation(request):
    """Put the signed-in user's menu in every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.must_change_password:
        # Until the password is changed no other page opens: offer none.
        return {"nav_items": []}
    return {"nav_items": menu_for(user, request.path)}
