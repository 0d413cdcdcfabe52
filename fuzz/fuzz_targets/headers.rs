#![no_main]
//! Content sniffing and executable headers (ELF, Mach-O, PE).

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = jingyu_unpack::detect(jingyu_unpack::Format::Raw, data);
    if let Some(binary) = jingyu_unpack::binary::inspect(data) {
        let _ = binary.to_string();
        let _ = binary.libc();
    }
});
