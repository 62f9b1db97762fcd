"""Log in and log out: viewflow's auth viewset with our Vietnamese login page."""

from django.urls import path
from viewflow.contrib.auth import AuthViewset

# No password change/reset or profile pages: accounts are managed in the Django admin.
urlpatterns = [
    path("", AuthViewset(allow_password_change=False, with_profile_view=False).urls),
]
