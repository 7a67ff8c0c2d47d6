namespace Stratus.Core.Errors;

/// <summary>Cloudify's error_code strings (rest-service manager_exceptions), with the HTTP status each travels with.</summary>
public static class ErrorCodes
{
    public const string BadParameters = "bad_parameters_error";                          // 400
    public const string InvalidBlueprint = "invalid_blueprint_error";                    // 400
    public const string InvalidPlugin = "invalid_plugin_error";                          // 400
    public const string DependentExists = "dependent_exists_error";                      // 400
    public const string NonexistentWorkflow = "nonexistent_workflow_error";              // 400
    public const string ExistingRunningExecution = "existing_running_execution_error";   // 400
    public const string InvalidExecutionStatusUpdate = "invalid_exception_status_update"; // 400 (sic)
    public const string IllegalAction = "illegal_action_error";                          // 400
    public const string IllegalExecutionParameters = "illegal_execution_parameters_error"; // 400
    public const string NoSuchIncludeField = "no_such_include_field_error";              // 400
    public const string DeploymentCreation = "deployment_creation_error";                // 400
    public const string MissingRequiredDeploymentInput = "missing_required_deployment_input_error"; // 400
    public const string UnknownDeploymentInput = "unknown_deployment_input_error";       // 400
    public const string DeploymentInputEvaluation = "deployment_input_evaluation_error"; // 400
    public const string Constraint = "constraint_error";                                 // 400
    public const string DeploymentOutputsEvaluation = "deployment_outputs_evaluation_error"; // 400
    public const string DeploymentCapabilitiesEvaluation = "deployment_capabilities_evaluation_error"; // 400
    public const string FunctionsEvaluation = "functions_evaluation_error";              // 400
    public const string ExistingStartedDeploymentModification = "existing_started_deployment_modification_error"; // 400
    public const string DeploymentModificationAlreadyEnded = "deployment_modification_already_ended_error"; // 400
    public const string UploadMissingFile = "upload_missing_file";                       // 400
    public const string InvalidYamlFormat = "invalid_yaml_format";                       // 400
    public const string Unauthorized = "unauthorized_error";                             // 401
    public const string Forbidden = "forbidden_error";                                   // 403
    public const string OnlyDeploymentUpdate = "only_deployment_update";                 // 403
    public const string NotFound = "not_found_error";                                    // 404
    public const string DeploymentParentNotFound = "deployment_parent_not_found_error";  // 404
    public const string MethodNotAllowed = "method_not_allowed_error";                   // 405
    public const string BlueprintInUse = "blueprint_in_use";                             // 405
    public const string PluginInUse = "plugin_in_use";                                   // 405
    public const string Conflict = "conflict_error";                                     // 409
    public const string UnsupportedContentType = "unsupported_content_type_error";       // 415
    public const string InternalServerError = "internal_server_error";                   // 500
}
