"""The second half of moving evidence onto the document store: every attachment now has its document (0004),
so the copied file columns go and one document is attached to a requirement once. A separate migration: on
PostgreSQL a table whose rows were just updated in the same transaction cannot be altered (pending trigger
events of its deferred foreign keys)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("recognition", "0004_attachments_on_documents"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="attachment", name="attachment_unique_file"),
        migrations.AlterField(
            model_name="attachment",
            name="document",
            field=models.ForeignKey(on_delete=models.PROTECT, related_name="attachments", to="documents.document",
                                    verbose_name="材料"),
        ),
        migrations.RemoveField(model_name="attachment", name="file"),
        migrations.RemoveField(model_name="attachment", name="original_name"),
        migrations.RemoveField(model_name="attachment", name="content_type"),
        migrations.RemoveField(model_name="attachment", name="size"),
        migrations.RemoveField(model_name="attachment", name="sha256"),
        migrations.AddConstraint(
            model_name="attachment",
            constraint=models.UniqueConstraint(fields=("application", "requirement", "document"),
                                               name="attachment_unique_document"),
        ),
    ]
