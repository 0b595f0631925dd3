"""A per-process memory of the last few things made: what a worker or a
request keeps for the next task in the same process, bounded so it never
grows with use."""


class Recent(dict):
    """A dict that keeps its `size` newest entries (the oldest goes first)."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def put(self, key, value):
        while len(self) >= self.size:
            self.pop(next(iter(self)))
        self[key] = value
        return value
