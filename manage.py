#!/usr/bin/env python
import sys


def main():
    from config.environment import choose_settings

    choose_settings("config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
