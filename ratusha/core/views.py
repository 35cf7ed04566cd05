from django.http import HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader


def low_vision_toggle(request):
    return redirect("/")


def page_not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request):
    return HttpResponseServerError(loader.render_to_string("500.html"))
