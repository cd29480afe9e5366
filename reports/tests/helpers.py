from reports.models import TallyRun
from reports.statistics.demo import add_responses
from reports.statistics.releases import release_publish


def publish_release(consultation, **kwargs) -> TallyRun:
    """The release a reader would see now: the final one once closed, else an interim one."""
    return release_publish(consultation=consultation, final=consultation.has_closed(), **kwargs)


__all__ = ["add_responses", "publish_release"]
