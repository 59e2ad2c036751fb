"""The accounts API under /api/v1/: ``serializers``, ``views`` and the ``urls`` that api_urls includes."""
