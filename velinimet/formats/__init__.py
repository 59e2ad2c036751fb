"""How dates and numbers look in each language: the one place that decides (``FORMAT_MODULE_PATH``).

Django reads these instead of its own locale files for ``{{ value|date:"SHORT_DATE_FORMAT" }}``,
``formats.date_format()``, ``formats.number_format()`` and the forms' date inputs; ``core.numbers``
formats and parses numbers with the same separators. One short date, one date-and-time, one long date
per language, used by the forms, lists, the 360° page, the audit log and the UI's exports:

- Turkish: 05.03.2025, 05.03.2025 14:30, 5 Mart 2025; 1.250.000,50
- Azerbaijani: 05.03.2025, 05.03.2025 14:30, 5 Mart 2025 (Django's month names); 1 250 000,50 (a no-break space groups)
- English: 05 Mar 2025, 05 Mar 2025 14:30, 5 March 2025; 1,250,000.50 (day first, 24 hours: the
  readers of a Turkish or Azerbaijani CRM read 03/05 as the 3rd of May)

Files, programs and the API keep ISO 8601 dates and plain numbers (``1250000.5``).
"""
