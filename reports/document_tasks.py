from celery import shared_task


@shared_task(ignore_result=True)
def extract_document_text(document_file_id: int) -> None:
    """Fill DocumentFile.text for search. Idempotent: extracting twice writes the same text."""
    from reports.extraction import document_file_extract

    document_file_extract(document_file_id=document_file_id)
