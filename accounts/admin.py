from django.contrib import admin

from accounts.models import Delegate, Invitation


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "role", "country", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["digest", "invited_by", "created_at", "accepted_at"]


@admin.register(Delegate)
class DelegateAdmin(admin.ModelAdmin[Delegate]):
    list_display = ["user", "country"]
