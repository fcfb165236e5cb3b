from django.contrib.auth import forms as auth_forms

from earlyhelp.core.forms import GovUKFormMixin


class SignInForm(GovUKFormMixin, auth_forms.AuthenticationForm):
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": (
            "Enter a correct e-mail address and password. "
            "After 5 failed attempts the account is locked for 30 minutes."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "E-mail address"
        self.fields["username"].error_messages["required"] = "Enter your e-mail address"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false", "autofocus": False}
        )
        self.fields["password"].error_messages["required"] = "Enter your password"


class PasswordResetForm(GovUKFormMixin, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail address"
        self.fields["email"].error_messages["required"] = "Enter your e-mail address"


class SetPasswordForm(GovUKFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(GovUKFormMixin, auth_forms.PasswordChangeForm):
    pass
