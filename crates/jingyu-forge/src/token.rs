//! A forge credential: its value, the variable it came from (named in errors,
//! never the value), and the header its forge reads it from.

/// The header a token travels in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenHeader {
    /// GitHub: `Authorization: Bearer X`.
    Bearer,
    /// GitLab personal, project or group token: `PRIVATE-TOKEN: X`.
    GitLabPrivate,
    /// GitLab CI's `CI_JOB_TOKEN`: `JOB-TOKEN: X`.
    GitLabJob,
    /// Gitea and Forgejo: `Authorization: token X`.
    Gitea,
}

/// An API token and where it came from.
#[derive(Clone)]
pub struct Token {
    pub value: String,
    pub source: String,
    pub header: TokenHeader,
}

impl Token {
    /// The header carrying it.
    pub fn header(&self) -> (&'static str, String) {
        let v = &self.value;
        match self.header {
            TokenHeader::Bearer => ("authorization", format!("Bearer {v}")),
            TokenHeader::GitLabPrivate => ("private-token", v.clone()),
            TokenHeader::GitLabJob => ("job-token", v.clone()),
            TokenHeader::Gitea => ("authorization", format!("token {v}")),
        }
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token(from {}, redacted)", self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_forge_reads_its_own_header() {
        let t = |header| {
            Token {
                value: "s3".into(),
                source: "X".into(),
                header,
            }
            .header()
        };
        assert_eq!(
            t(TokenHeader::Bearer),
            ("authorization", "Bearer s3".into())
        );
        assert_eq!(
            t(TokenHeader::GitLabPrivate),
            ("private-token", "s3".into())
        );
        assert_eq!(t(TokenHeader::GitLabJob), ("job-token", "s3".into()));
        assert_eq!(t(TokenHeader::Gitea), ("authorization", "token s3".into()));
        let shown = format!(
            "{:?}",
            Token {
                value: "s3".into(),
                source: "X".into(),
                header: TokenHeader::Bearer
            }
        );
        assert!(!shown.contains("s3"), "{shown}");
    }
}
