from django.http import HttpResponse


def results_index(request, *a, **k): return HttpResponse("")
methodology = api_documentation = results = results_download = results_api = results_index
