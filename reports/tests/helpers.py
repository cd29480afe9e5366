from reports.statistics.demo import add_responses

__all__ = ["add_responses"]
