"""Label Studio's own settings, plus agitprop's roles (see ``permissions.py``).

``label-studio start`` only *defaults* ``DJANGO_SETTINGS_MODULE``, so pointing the variable here
swaps in these settings without patching Label Studio.
"""

import os

# Label Studio's settings module reads ``django.conf.settings`` while it is still being imported
# (Sentry, versions); Django then re-imports the module the variable names, half-executed. That
# must be Label Studio's own (which has those names by then), not this one.
_ours = os.environ.get("DJANGO_SETTINGS_MODULE")
os.environ["DJANGO_SETTINGS_MODULE"] = "label_studio.core.settings.label_studio"
try:
    from label_studio.core.settings.label_studio import *  # noqa: F403
finally:
    os.environ["DJANGO_SETTINGS_MODULE"] = _ours or __name__

INSTALLED_APPS = [*INSTALLED_APPS, "agitprop_ls.apps.AgitpropConfig"]  # noqa: F405
# Community declares a permission on every API view but never checks it; this class does.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_PERMISSION_CLASSES": [
        *REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"],  # noqa: F405
        "agitprop_ls.api_permissions.HasRequiredPermission",
    ],
}
# Data-manager actions (delete tasks, delete annotations, …) are checked through this hook.
DATA_MANAGER_CHECK_ACTION_PERMISSION = "agitprop_ls.permissions.check_action_permission"
# Label Studio lets every user PATCH their own ``active_organization`` to any organisation id,
# and a project is readable by whoever has its organisation active: that one writable field would
# undo the per-annotator organisations. Read-only for everyone (the Community UI never sets it).
USER_SERIALIZER_UPDATE = "agitprop_ls.serializers.UserSerializerUpdate"
# Detail routes (a task, an annotation, a project by id) must check the organisation too.
PROJECT_MIXIN = "agitprop_ls.mixins.OrganisationProjectMixin"
