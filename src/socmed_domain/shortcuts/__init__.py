"""The everyday shortcuts of issue 17 (check, clone, import, bulk inbox actions, ...): their
messages. The rules themselves live in the stage they belong to."""
