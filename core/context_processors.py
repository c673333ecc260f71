from accounts.selectors import user_roles


SITE_NAME = "青岛市重点产业数字化转型赋能中心管理平台"


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_name": SITE_NAME}
    roles = user_roles(user)
    return {
        "site_name": SITE_NAME,
        "nav_roles": roles,
        # What the cached fragments of the navigation depend on (templates/core/nav_*.html).
        "nav_key": ",".join(sorted(roles)) + (",staff" if user.is_staff else ""),
        "unread_notification_count": user.notifications.filter(read_at__isnull=True).count(),
    }
