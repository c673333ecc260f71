from accounts.selectors import user_roles


SITE_NAME = "青岛市重点产业数字化转型赋能中心管理平台"


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_name": SITE_NAME}
    return {
        "site_name": SITE_NAME,
        "nav_roles": user_roles(user),
        "unread_notification_count": user.notifications.filter(read_at__isnull=True).count(),
    }
