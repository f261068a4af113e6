"""The organization (filer profile), its people, departments, users and API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models


class OrgQuerySet(models.QuerySet[Any]):
    def for_org(self, organization: Any) -> OrgQuerySet:
        return self.filter(organization=organization)


class OrgModel(models.Model):
    """Base of every domain row: it belongs to exactly one organization."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrgQuerySet.as_manager()

    class Meta:
        abstract = True


class Organization(models.Model):
    """A registrant: its filer profile and the risk parameters its program runs on."""

    class FilerType(models.TextChoices):
        DOMESTIC_10K = "10-K", "Form 10-K (domestic filer)"
        FOREIGN_20F = "20-F", "Form 20-F (foreign private issuer)"

    legal_name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    cik = models.CharField(
        "CIK",
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{10}$", "A CIK is exactly 10 digits (pad with zeros).")],
    )
    filer_type = models.CharField(
        max_length=4, choices=FilerType.choices, default=FilerType.DOMESTIC_10K
    )
    fiscal_year_end_month = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1)]
    )
    fiscal_year_end_day = models.PositiveSmallIntegerField(
        default=31, validators=[MinValueValidator(1)]
    )
    reporting_currency = models.CharField(
        max_length=3,
        default="USD",
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use an ISO 4217 code.")],
    )
    materiality_threshold = models.DecimalField(
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Loss, in the reporting currency, above which an event is presumed material.",
    )
    risk_appetite = models.TextField("Risk appetite statement", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_name"]

    def __str__(self) -> str:
        return self.short_name or self.legal_name

    @property
    def is_foreign_private_issuer(self) -> bool:
        return self.filer_type == self.FilerType.FOREIGN_20F


class ErmCategory(OrgModel):
    """A category of the enterprise risk program; cyber risks sit in it (the "integrated" link)."""

    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="uniq_erm_category")
        ]
        verbose_name = "ERM category"
        verbose_name_plural = "ERM categories"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    SECURITY_MANAGER = "security_manager", "Security manager"
    RISK_OWNER = "risk_owner", "Risk owner"
    AUDITOR = "auditor", "Auditor"
    BOARD_MEMBER = "board_member", "Board member"


class User(AbstractUser):
    """A login. It belongs to one organization with one role; lockout state lives here."""

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AUDITOR)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)


class Department(OrgModel):
    """An organizational unit such as IT, Internal Audit or Technical Support."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    responsibilities = models.TextField(
        blank=True, help_text="What this unit does for the program."
    )
    head = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="uniq_department")
        ]

    def __str__(self) -> str:
        return self.name


class Person(OrgModel):
    """Someone who owns, approves or reports; may or may not have a login."""

    name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    title = models.CharField(max_length=150, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    pronoun = models.CharField(
        max_length=10,
        blank=True,
        choices=[("he", "he"), ("she", "she"), ("they", "they")],
        help_text="How a disclosure refers to this person; empty means “they”.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal access token; only its SHA-256 is stored, the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
