from django.conf import settings


def service(request):
    """Names every page shows: the service, the partnership that runs it, and whom to contact."""
    return {
        "service_name": settings.SERVICE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "service_contact_email": settings.SERVICE_CONTACT_EMAIL,
    }
