from django.forms.renderers import TemplatesSetting

from .boundfield import GovUKBoundField


class GovUKFormRenderer(TemplatesSetting):
    """Renders forms and fields with the GOV.UK templates under templates/govuk/forms/.

    Only forms built on GovUKForm use it, so Django's admin keeps its own look.
    """

    form_template_name = "govuk/forms/form.html"
    field_template_name = "govuk/forms/field.html"
    bound_field_class = GovUKBoundField
