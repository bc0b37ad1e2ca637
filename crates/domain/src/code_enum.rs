//! `code_enum!`: an enum with a stable snake_case code for storage, URLs and
//! the API, and a catalogue key for its human name. The one definition every
//! crate uses (`kfq_domain::code_enum!`).

/// What every `code_enum!` is: storage reads and writes any of them by its code.
pub trait Coded: Sized + Copy {
    fn code(self) -> &'static str;
    fn from_code(code: &str) -> Option<Self>;
}

#[macro_export]
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable identifier used in storage, URLs and the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Catalogue key of the human name.
            pub fn label_key(self) -> String {
                format!("{}.{}", stringify!($name), self.code())
            }
        }

        impl $crate::Coded for $name {
            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn from_code(code: &str) -> Option<Self> {
                $name::from_code(code)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
