"""1EdTech CASE 1.0 JSON: a CFPackage for a framework, and back.

Mapping
    CFDocument      the framework (uri = framework IRI; creator and publisher = publisher;
                    version; description; licenseURI -> a CFLicense; notes carry the framework
                    id, age phase and next review date as "Key: value" lines).
    CFItems         CFItemType "Domain" (fullStatement = title, notes = description,
                    conceptKeywords "principle:<id>" and "thrive:<id>"), "Competency Group"
                    (abbreviatedStatement = title, fullStatement = description), "Competency"
                    (fullStatement = statement), "Indicator" (one per indicator), "Enhancement"
                    (the SEND overlay), "Role" (fullStatement = label, conceptKeywords =
                    keywords), "Training" (fullStatement = title, alternativeLabel = provider,
                    conceptKeywords "reach:", "format:", "duration-minutes:", "cost:",
                    "thrive:", "url:", "last-checked:", "clinical-review:").
                    humanCodingScheme is always our id; listEnumeration the order.
    CFAssociations  isChildOf: domain -> document, competency -> domain, indicator ->
                    competency (sequenceNumber = order); isPartOf: competency -> group and
                    role -> group; isRelatedTo: competency -> SEND enhancement, competency ->
                    training, group -> example role (sequenceNumber = order).
    CFRubrics       the rating scale: one criterion whose levels are the scale levels
                    (quality = label, description = descriptor, score = 1..n, feedback
                    "Counts as met." from the threshold up) followed by "not applicable" and
                    "prior qualification" with no score. Level ids are the last segment of
                    each level's uri.

Identifiers are uuid5(NAMESPACE_URL, uri) and every uri is built from the framework IRI and our
ids, so re-exports are stable and competency uris are the competency IRIs. Item identifiers do
not depend on the version: a CASE server treats a re-import as an update of the same items.
Everything the YAML format carries survives export and import.
"""

from frameworks.case_json.export import export_case, export_case_json
from frameworks.case_json.reading import case_to_data, import_case_json
from frameworks.case_json.terms import ITEM_TYPES, MET_FEEDBACK, SEND_TITLE

__all__ = [
    "ITEM_TYPES",
    "MET_FEEDBACK",
    "SEND_TITLE",
    "case_to_data",
    "export_case",
    "export_case_json",
    "import_case_json",
]
