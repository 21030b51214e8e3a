"""The Django-free text ML core of customer voice: texts in, arrays and labels out."""
