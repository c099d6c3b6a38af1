"""Enforce each API view's ``permission_required``.

Label Studio Community *declares* a django-rules permission on every API view
(``permission_required = ViewClassPermission(GET=..., DELETE=...)``) but never checks it: only
data-manager actions call ``has_perm``. This DRF permission class does the check, so the roles in
``permissions.py`` take effect. A permission name that is not registered is not checked (nothing
else in Label Studio would check it either).
"""

from __future__ import annotations

import rules
from rest_framework.permissions import BasePermission

# Reading the user list of one's own organisation is guarded by ``organizations.change`` together
# with creating and deleting users; the data manager needs the read (``/api/users?project=``)
# to show who annotated, so reading asks for ``organizations.view`` instead.
READ_AS = {("UserAPI", "GET"): "organizations.view"}


class HasRequiredPermission(BasePermission):
    message = "agitprop: this account may only label"

    def has_permission(self, request, view) -> bool:
        name = required_permission(request, view)
        if name is None or not rules.perm_exists(name):
            return True
        return rules.has_perm(name, request.user)


def required_permission(request, view) -> str | None:
    getter = getattr(view, "get_permission_required", None)
    if callable(getter):
        try:
            declared = getter()
        except Exception:  # the view raises its own, clearer error for a bad request
            return None
    else:
        declared = getattr(view, "permission_required", None)
    if declared is None or isinstance(declared, str):
        return declared
    method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
    return READ_AS.get((type(view).__name__, method)) or getattr(declared, method, None)
