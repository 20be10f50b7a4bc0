package io.lparchiver.model;

/**
 * A secure form event. Form contents are never stored by LivePerson; only these ids are.
 *
 * @param formId form id
 * @param formName form title
 * @param invitationId invitation id
 * @param submissionId submission id (empty for an invitation)
 */
public record SecureForm(
    String formId, String formName, String invitationId, String submissionId) {}
