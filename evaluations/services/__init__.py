"""Writes of the evaluations app.

- criteria: `template_create`, `template_criterion_update`, `scale_create`, `CriterionSpec`
- campaigns: `campaign_create`, `campaign_open`, `submission_extend`, `campaigns_lock_due`,
  `campaign_reminders_send`, `campaign_approve`, `campaign_publish`
- scores: `self_assessment_save`, `submission_submit`, `submission_return`, `review_save`
"""
