//! Who performs an operation. Permissions are types: an operation reserved to operators
//! takes an [`Operator`], which only trusted entry points can make.

/// The operator of this Credence installation: the person running the `credence` command
/// on the server (who already controls its data directory), or, later, an operator account.
#[derive(Debug, Clone)]
pub struct Operator {
    label: String,
}

impl Operator {
    /// The operator acting through the local command line. Only the CLI calls this: being
    /// able to run it on the server already grants full control of the installation.
    pub fn local_command_line() -> Self {
        Self {
            label: "local command line".into(),
        }
    }

    /// A description of the operator, for logs.
    pub fn label(&self) -> &str {
        &self.label
    }
}
