"""The platform's fixed lists. Loans and the directory use them too."""

from django.db import models


class Role(models.TextChoices):
    BUSINESS_OWNER = "business_owner", "Business owner"
    BANKER = "banker", "Banker"


class Product(models.TextChoices):
    TERM_LOAN = "term_loan", "Term loan"
    LINE_OF_CREDIT = "line_of_credit", "Line of credit"
    SBA_LOAN = "sba_loan", "SBA loan"
    EQUIPMENT_FINANCING = "equipment_financing", "Equipment financing"
    INVOICE_FINANCING = "invoice_financing", "Invoice financing"
    COMMERCIAL_REAL_ESTATE = "commercial_real_estate", "Commercial real estate"


class Industry(models.TextChoices):
    AGRICULTURE = "agriculture", "Agriculture"
    CONSTRUCTION = "construction", "Construction"
    MANUFACTURING = "manufacturing", "Manufacturing"
    RETAIL = "retail", "Retail"
    WHOLESALE = "wholesale", "Wholesale"
    TRANSPORTATION = "transportation", "Transportation"
    TECHNOLOGY = "technology", "Technology"
    PROFESSIONAL_SERVICES = "professional_services", "Professional services"
    HEALTHCARE = "healthcare", "Healthcare"
    HOSPITALITY = "hospitality", "Hospitality"
    REAL_ESTATE = "real_estate", "Real estate"
    OTHER = "other", "Other"


class Availability(models.TextChoices):
    AVAILABLE = "available", "Available"
    BUSY = "busy", "Busy"
    AWAY = "away", "Away"


class VerificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
