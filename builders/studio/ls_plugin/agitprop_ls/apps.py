from django.apps import AppConfig


class AgitpropConfig(AppConfig):
    name = "agitprop_ls"
    label = "agitprop_ls"
    verbose_name = "agitprop roles"

    def ready(self) -> None:
        from agitprop_ls.permissions import install

        install()
