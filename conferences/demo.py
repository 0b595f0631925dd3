def seed_conferences(*, stdout=None):
    pass
