from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """?page=2&page_size=200: 50 rows a page unless asked, 2,000 at most (a system syncing reads big pages)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 2000
