{
  "targets": [
    {
      "target_name": "proclab_engine",
      "sources": [
        "src/addon.cc",
        "src/child.cc",
        "src/exec-verdict.cc",
        "src/js-spec.cc",
        "src/js-values.cc",
        "src/output-streams.cc",
        "src/opener.cc",
        "src/own-child.cc",
        "src/planner.cc",
        "src/reader.cc",
        "src/run-messages.cc",
        "src/sources.cc",
        "src/spawner.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror=switch"]
    },
    {
      "target_name": "proclab_test_hooks",
      "sources": ["test/test_hooks.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra"]
    },
    {
      "target_name": "proclab_probe",
      "type": "executable",
      "sources": [
        "probe/probe.c"
      ],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-O2"],
      "ldflags": ["-static"]
    }
  ]
}
