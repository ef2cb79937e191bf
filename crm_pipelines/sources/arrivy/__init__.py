"""Arrivy (field-service scheduling): tasks, their status history, bookings, entities, crews, groups, statuses, location reports."""
