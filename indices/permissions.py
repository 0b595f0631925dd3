"""Who may do what with index results."""

import rules

from core.permissions import is_administrator, is_organiser, organises, sees_province_work


@rules.predicate
def of_own_agency(user, assessment) -> bool:
    return user.is_authenticated and assessment is not None and user.agency_id == assessment.agency_id


# The province's results before publication, its analysis and exports.
rules.add_perm("indices.view_province", sees_province_work)
# Open self-assessment, appraise, import, publish, enter national results,
# assign responsibilities: the object is a province or an assessment.
rules.add_perm("indices.organise", organises)
# Fill in the self-assessment (the Sở may help), and read its evidence files.
rules.add_perm("indices.self_assess", of_own_agency | organises)
rules.add_perm("indices.view_evidence", of_own_agency | organises)
# Answer the appraisal (giải trình): the agency's own people only; the
# appraisers never explain for the agency they appraise.
rules.add_perm("indices.explain", of_own_agency)
# National rankings are published: every signed-in user reads every
# province's results, the league table and the comparisons.
rules.add_perm("indices.view_national", rules.is_authenticated)
# The tables ministries publish cover every province: any province's Sở Nội
# vụ may import one for all (the audit trail says who).
rules.add_perm("indices.import_national", is_organiser | is_administrator)
