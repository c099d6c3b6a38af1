"""Object-level isolation between organisations.

Label Studio Community's ``Project.has_permission`` admits any user who is not a *deleted*
member ("LSO always runs a single organization, so cross-org access does not exist by design").
Lists are filtered by the user's active organisation, but a detail route such as
``GET /api/annotations/<id>`` or ``/api/tasks/<id>`` answered every logged-in user. Tasks,
annotations, drafts, predictions, exports, imports and ML backends all ask their project, so this
one check closes them for every organisation.
"""

from projects.mixins import ProjectMixin


class OrganisationProjectMixin(ProjectMixin):
    def has_permission(self, user):
        return (
            self.organization_id is not None
            and self.organization_id == user.active_organization_id
            and super().has_permission(user)
        )
