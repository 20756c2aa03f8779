//! A holder's archive: everything they own (credentials as signed, evidence with its
//! history and attachments, and an index) as one zip file.

use super::*;

impl HolderDesk<'_> {
    /// Everything the holder owns as one zip archive: each credential exactly as signed,
    /// each piece of evidence with its history and attachments, and an index.
    #[tracing::instrument(level = "info", skip_all, fields(account = %self.holder.account_id))]
    pub async fn portfolio_archive(&self) -> Result<Vec<u8>, ServiceError> {
        let holder = &self.holder;
        let portfolio = self.own_portfolio().await?;
        let tx = self.store.read().await?;
        let awards = tx.awards_of_holder(&holder.account_id).await?;
        let evidence = tx
            .evidence_of_holder(&holder.account_id, Page::new(0, Page::MAX_LIMIT))
            .await?;
        let zip_error = |e: zip::result::ZipError| {
            ServiceError::internal_from("writing a portfolio archive", e)
        };
        let io_error =
            |e: std::io::Error| ServiceError::internal_from("writing a portfolio archive", e);
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let put = |zip: &mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
                   name: &str,
                   bytes: &[u8]|
         -> Result<(), ServiceError> {
            zip.start_file(name, options).map_err(zip_error)?;
            zip.write_all(bytes).map_err(io_error)
        };
        put(
            &mut zip,
            "README.txt",
            format!(
                "Everything {} holds in Credence ({}), exported on {}.\n\n\
                 credentials/  each credential exactly as its issuer signed it (Open Badges 3.0,\n\
                 \x20             W3C Verifiable Credentials); verify any of them at {}/verify\n\
                 evidence/     each piece of evidence: evidence.json (content and history) and\n\
                 \x20             its attachments\n\
                 portfolio.json  an index of the above\n",
                portfolio.display_name,
                self.config.base_url,
                self.now().format("%Y-%m-%d"),
                self.config.base_url,
            )
            .as_bytes(),
        )?;
        let index = serde_json::to_vec_pretty(&portfolio)
            .map_err(ServiceError::wrap("writing a portfolio index"))?;
        put(&mut zip, "portfolio.json", &index)?;
        for award in &awards {
            put(
                &mut zip,
                &format!("credentials/{}.json", award.id),
                award.credential.as_bytes(),
            )?;
        }
        for row in &evidence {
            let detail = self.evidence_detail(&row.id).await?;
            let json = serde_json::to_vec_pretty(&detail).map_err(ServiceError::wrap(
                "writing evidence into a portfolio archive",
            ))?;
            put(
                &mut zip,
                &format!("evidence/{}/evidence.json", row.id),
                &json,
            )?;
            for meta in tx.attachments_of(&row.id).await? {
                if let Some(file) = tx.attachment(&meta.id).await? {
                    let name = safe_file_name(&file.file_name);
                    put(
                        &mut zip,
                        &format!("evidence/{}/{}-{name}", row.id, &meta.id.as_str()[..8]),
                        &file.content,
                    )?;
                }
            }
        }
        let cursor = zip.finish().map_err(zip_error)?;
        Ok(cursor.into_inner())
    }
}

/// A file name safe inside an archive: no directories, no control characters.
fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() {
        "attachment".to_owned()
    } else {
        trimmed.to_owned()
    }
}
