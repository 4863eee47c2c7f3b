"""The expert pool now belongs to rencai.reviews (reviews.0001): recognition's model is dropped from the state
only — the table ``recognition_expert`` and its rows stay, and the review assignments' foreign key keeps
pointing at them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("recognition", "0006_standard_review_days"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reviewassignment",
                    name="expert",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="assignments",
                                            to="reviews.expert"),
                ),
                migrations.DeleteModel(name="Expert"),
            ],
            database_operations=[],
        ),
    ]
