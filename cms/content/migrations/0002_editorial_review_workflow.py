"""Name the site-wide moderation workflow "Editorial review".

Wagtail's own migrations create a "Moderators approval" workflow on the root page;
we keep its task (the Moderators group approves) and give the workflow our name, or
create it where an installation has none.
"""

from django.db import migrations

WORKFLOW_NAME = "Editorial review"


def name_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    link = WorkflowPage.objects.filter(page=root).select_related("workflow").first()
    if link is not None:
        link.workflow.name = WORKFLOW_NAME
        link.workflow.save(update_fields=["name"])
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(
        name="Editor approval", content_type=content_type, active=True
    )
    task.groups.set(Group.objects.filter(name__in=["Moderators", "Editors"]))
    workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=root)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(name_workflow, migrations.RunPython.noop)]
