// A minimal app: imports the SDK by its package name and checks it.
import * as sdk from 'schacc-sdk';
import { check, report, world } from './check.js';

check(sdk, world()).then(report);
