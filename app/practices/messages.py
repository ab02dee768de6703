"""Catalogue entries of good practices: the reasons raised about practices, their files, review and interest.

The services raise a reason and its values (``NotFound("practice.not_found", field="practice_id")``); the
sentence is made at the edge from these templates, in the reader's language. Keys start with practice.
"""

from __future__ import annotations

from app.errors import msg, register_messages

register_messages({
    # input (inputs.py); label is the field's name as a phrase ("Started year")
    "practice.data_not_object": msg("The practice data must be an object."),
    "practice.field.unknown": msg("Unknown field(s): %(names)s."),
    "practice.field.required": msg("%(label)s is required."),
    "practice.field.whole_number": msg("%(label)s must be a whole number."),
    "practice.field.number": msg("%(label)s must be a number."),
    "practice.field.list": msg("%(label)s must be a list."),
    "practice.field.object": msg("%(label)s must be an object."),
    "practice.year_range": msg("%(label)s must be a year between %(minimum)s and %(maximum)s."),
    "practice.years_in_order": msg("The end year cannot be before the start year."),
    "practice.latitude_range": msg("Latitude must be between -90 and 90."),
    "practice.longitude_range": msg("Longitude must be between -180 and 180."),
    "practice.coordinates_pair": msg("Give both latitude and longitude, or neither."),
    "practice.subdivision_invalid": msg(
        "%(code)s is not a subdivision (ISO 3166-2) of the country %(country)s; use a code such as DE-SN."),
    "practice.stage_invalid": msg("Stage must be one of %(stages)s."),
    "practice.sdg_goal_invalid": msg("SDG goals are whole numbers from 1 to 17 (got %(value)s)."),
    "practice.sdg_target_invalid": msg(
        "%(value)s is not one of the 169 official SDG targets; use a code such as 11.2 or 6.a."),
    "practice.language_invalid": msg("%(value)s is not a language of the platform (%(languages)s)."),
    "practice.translation_same_language": msg(
        "A translation cannot be in the practice's own language (%(language)s); edit the original instead."),
    "practice.indicators_too_many": msg("At most %(maximum)s key figures."),
    "practice.indicator_name_required": msg("Key figure %(position)s needs the name of its indicator."),
    "practice.organisation_not_found": msg("No such organisation."),
    "practice.contact_not_found": msg("The contact person must be a member of the platform."),
    "practice.events_unknown": msg("No published event with id(s) %(ids)s."),
    "practice.modules_unknown": msg("No published learning module with id(s) %(ids)s."),
    "practice.topics_unknown": msg("Unknown topic(s): %(slugs)s."),
    # lookups and permissions
    "practice.not_found": msg("No such practice."),
    "practice.user_not_found": msg("No such user."),
    "practice.needs_organisation": msg(
        "Your account belongs to no organisation; ask an organiser to add you to one before drafting a practice."),
    "practice.other_organisation": msg(
        "You cannot draft a practice of someone else's organisation; choose your own organisation."),
    "practice.edit_forbidden": msg(
        "Only the author, members of its organisation, organisers and admins can change this practice."),
    "practice.archived_locked": msg("This practice is archived; only organisers and admins can change it."),
    # workflow
    "practice.cannot_submit": msg("Only a draft or a returned practice can be submitted for review."),
    "practice.cannot_publish": msg("This practice is already published."),
    "practice.cannot_return": msg("Only a submitted or published practice can be returned to its author."),
    "practice.cannot_archive": msg("This practice is already archived."),
    "practice.publish_reviewers_only": msg(
        "Only organisers and admins can publish a practice; submit it for review instead."),
    "practice.review_reviewers_only": msg("Only organisers and admins review practices."),
    "practice.comment_required": msg("Say what should change: a comment is required when returning a practice."),
    # files
    "practice.file.kind_invalid": msg("The kind of file must be document or image."),
    "practice.file.empty": msg("The file is empty."),
    "practice.file.too_large": msg("The file is too large: at most %(maximum)s MB (got %(size)s MB)."),
    "practice.file.not_pdf": msg("This document is not a PDF (its content says otherwise, whatever its name)."),
    "practice.file.pdf_unreadable": msg("This PDF is damaged or encrypted and cannot be opened."),
    "practice.file.not_image": msg("This image is not a JPEG, PNG or WebP file (judged by its content)."),
    "practice.file.image_unreadable": msg("This image is damaged or incomplete and cannot be opened."),
    "practice.file.image_too_many_pixels": msg("This image is too large to process (%(pixels)s megapixels)."),
    "practice.file.too_many": msg("At most %(maximum)s files of this kind per practice."),
    "practice.file.not_found": msg("No such file."),
    "practice.file.missing": msg("The stored file is missing; please upload it again."),
    # interest
    "practice.interest.not_published": msg("Only a published practice can receive interest."),
    "practice.interest.needs_organisation": msg(
        "Your account belongs to no organisation; interest is registered for an organisation."),
    "practice.interest.own_organisation": msg("This is your own organisation's practice."),
    "practice.interest.not_found": msg("Your organisation has not registered interest in this practice."),
    # the list's filters
    "practice.filter.invalid": msg("%(name)s is not valid."),
    "practice.filter.sdg": msg("sdg must be a goal from 1 to 17 or an official target such as 11.2."),
    "practice.filter.region": msg("region must be a UN M49 region code such as 155 (Western Europe)."),
    "practice.filter.stage": msg("stage must be one of %(stages)s."),
    "practice.filter.status": msg("status must be one of %(statuses)s."),
    "practice.filter.language": msg("language must be a language code such as en or fr."),
    "practice.filter.organisation": msg("organisation must be an organisation id."),
    "practice.filter.q_too_long": msg("The search text is too long (at most %(maximum)s characters)."),
    # the review checklist (checklist.py): what a reviewer checks before publishing
    "practice.check.evidence_of_results": msg("Evidence of results: the results section shows what changed."),
    "practice.check.transferability_explained": msg(
        "Transferability explained: what another city needs to adopt it."),
    "practice.check.contact_present": msg("A contact person is named."),
    "practice.check.no_personal_data": msg(
        "No personal data in the text (no email addresses, phone numbers or private details)."),
    "practice.check.images_credited": msg("Every image has a credit line."),
})
