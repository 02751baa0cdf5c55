//! The self-signed certificate and TLS acceptor of `--tls`.

use std::io;

#[cfg(feature = "tls")]
pub(crate) type Acceptor = tokio_rustls::TlsAcceptor;
#[cfg(not(feature = "tls"))]
pub(crate) type Acceptor = ();

/// A TLS acceptor with a fresh self-signed certificate for `localhost` and
/// `127.0.0.1`, and that certificate's DER.
#[cfg(feature = "tls")]
pub(crate) fn acceptor() -> io::Result<(Acceptor, Vec<u8>)> {
    use std::sync::Arc;

    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".into()])
            .map_err(io::Error::other)?;
    let cert_der: CertificateDer<'static> = certified.cert.der().clone();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_no_client_auth()
        .with_single_cert(vec![cert_der.clone()], key)
        .map_err(io::Error::other)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((
        tokio_rustls::TlsAcceptor::from(Arc::new(config)),
        cert_der.to_vec(),
    ))
}

#[cfg(not(feature = "tls"))]
pub(crate) fn acceptor() -> io::Result<(Acceptor, Vec<u8>)> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "this build has no TLS support (cargo feature `tls` is off)",
    ))
}
