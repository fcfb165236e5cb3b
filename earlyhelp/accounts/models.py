"""People and organisations: districts, agency types, agencies, users and their roles."""

from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from .roles import Role


class ReferenceData(models.Model):
    """Editable reference lists. Retired entries stay so that old records still read correctly."""

    name = models.CharField(max_length=100)
    is_active = models.BooleanField(
        "in use", default=True, help_text="Untick to retire it: it stays on old records."
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class District(ReferenceData):
    class Meta(ReferenceData.Meta):
        constraints = [
            models.UniqueConstraint(Lower("name"), name="district_name_unique_ci"),
        ]


class AgencyType(ReferenceData):
    class Meta(ReferenceData.Meta):
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_type_name_unique_ci"),
        ]


class Agency(ReferenceData):
    """An organisation that delivers Early Help: a school, a health visiting team, a charity."""

    name = models.CharField(max_length=200)
    agency_type = models.ForeignKey(
        AgencyType, on_delete=models.PROTECT, null=True, blank=True, related_name="agencies"
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        help_text="Leave blank for an agency that works across the county.",
    )
    manager = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_agencies",
        help_text="Receives the feedback from audits of this agency's EHAs, where set.",
    )
    history = HistoricalRecords()

    class Meta(ReferenceData.Meta):
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_name_unique_ci"),
        ]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("Every user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_superuser"] = True
        user = self.create_user(email, password, **extra_fields)
        UserRole.objects.get_or_create(user=user, role=Role.ADMINISTRATOR)
        return user

    def get_by_natural_key(self, username):
        # E-mail addresses are compared without regard to case, as people type them.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Signs in with their e-mail address."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    line_manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
        help_text="Told at once when an audit of this person's case is Inadequate.",
    )
    is_active = models.BooleanField(
        "active", default=True, help_text="Untick instead of deleting, so history stays."
    )
    date_joined = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles this person holds, read once per request."""
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff(self):
        # Django's admin is for administrators only; the flag is derived, never stored apart.
        return self.is_active and Role.ADMINISTRATOR in self.roles

    def has_perm(self, perm, obj=None):
        if self.is_staff:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_staff:
            return True
        return super().has_module_perms(app_label)


class UserRole(models.Model):
    """One role held by one person. Kept as rows so that granting and removing show in history."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="user_role_unique"),
        ]

    def __str__(self):
        return self.get_role_display()
