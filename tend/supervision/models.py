"""Who supervises whom. Supervisors see what their active supervisees see."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from tend.accounts.models import Organization, User
from tend.core.models import PublicModel


class SupervisionRelationship(PublicModel):
    class Format(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        GROUP = "group", "Group"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="supervisees_as")
    supervisee = models.ForeignKey(User, on_delete=models.PROTECT, related_name="supervisors_as")
    format = models.CharField(max_length=16, choices=Format.choices, default=Format.INDIVIDUAL)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "supervisor", "ended_on"]),
            models.Index(fields=["organization", "supervisee", "ended_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=F("supervisee")), name="supervision_not_self"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="supervision_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} supervises {self.supervisee}"
