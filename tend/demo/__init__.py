"""Synthetic demo data: a therapist's first look at Tend. No real people, ever."""
