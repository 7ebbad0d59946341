{
  "variables": {
    # What a launch's child runs, and what plans it: compiled into the engine and into
    # proclab_exec, the helper `proclab exec` replaces itself with (one implementation).
    "child_sources": [
      "src/child.cc",
      "src/planner.cc",
      "src/sources.cc",
      "src/spec-wire.cc",
      "src/user-maps.cc"
    ]
  },
  "targets": [
    {
      "target_name": "proclab_engine",
      "sources": [
        "<@(child_sources)",
        "src/addon.cc",
        "src/exec-verdict.cc",
        "src/js-spec.cc",
        "src/js-values.cc",
        "src/output-streams.cc",
        "src/opener.cc",
        "src/own-child.cc",
        "src/reader.cc",
        "src/run-messages.cc",
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
    },
    {
      "target_name": "proclab_exec",
      "type": "executable",
      "sources": [
        "<@(child_sources)",
        "exec/exec-helper.cc"
      ],
      "include_dirs": ["src"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror=switch"],
      "ldflags": ["-static"]
    }
  ]
}
