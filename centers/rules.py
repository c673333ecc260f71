"""Who may act on the public notice (第九条（四）): the commission draws it up and publishes it;
anyone, signed in or not, reads a published one."""

import rules

from accounts.rules import is_commission_staff

rules.add_perm("centers.publish_notice", is_commission_staff)
