"""Recognition's review assignments are rencai.reviews' panels now (reviews.0003 copied every row, score and
total over under the same ids): the old table goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('recognition', '0007_expert_moved_to_reviews'),
        ('reviews', '0003_recognition_scores'),
    ]

    operations = [
        migrations.DeleteModel(
            name='ReviewAssignment',
        ),
    ]
